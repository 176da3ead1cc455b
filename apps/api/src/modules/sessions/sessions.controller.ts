import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { JoinToken, JoinTokenAuth } from '../auth/join-token.decorator';
import { CreatedSessionDto, CreateSessionDto, type CreatedSession, SessionParamsDto, type SessionView, SessionViewDto } from './session.dto';
import { SessionsService } from './sessions.service';

@ApiTags('sessions')
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiCreatedResponse({ type: CreatedSessionDto })
  @ApiBadRequestResponse({ description: 'Invalid body (problem details listing the fields)' })
  @ApiNotFoundResponse({ description: 'Unknown scenario' })
  create(@Body() body: CreateSessionDto): Promise<CreatedSession> {
    return this.sessions.create(body);
  }

  @Get(':id')
  @JoinTokenAuth()
  @ApiOkResponse({ type: SessionViewDto })
  @ApiBadRequestResponse({ description: 'The id is not a UUID' })
  @ApiForbiddenResponse({ description: 'Join token of another session' })
  @ApiNotFoundResponse({ description: 'No such session' })
  get(@Param() params: SessionParamsDto, @JoinToken() token: string | undefined): Promise<SessionView> {
    return this.sessions.getForToken(params.id, token);
  }
}
