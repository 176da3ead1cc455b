import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { TimelinePage } from '@hatch/protocol';
import { JoinToken } from '../auth/join-token.decorator';
import { SessionParamsDto } from '../sessions/session.dto';
import { TimelinePageDto, TimelineQueryDto } from './session-events.dto';
import { SessionEventsService } from './session-events.service';

@ApiTags('sessions')
@Controller('sessions')
export class SessionEventsController {
  constructor(private readonly events: SessionEventsService) {}

  @Get(':id/events')
  @ApiBearerAuth()
  @ApiQuery({ name: 'token', required: false, description: 'The join token, when an Authorization header cannot be sent' })
  @ApiOkResponse({ type: TimelinePageDto, description: 'The stored session events (presence, chat, stages, start/end), oldest first' })
  @ApiBadRequestResponse({ description: 'Malformed id, after or limit' })
  @ApiUnauthorizedResponse({ description: 'Join token missing, forged or expired' })
  @ApiForbiddenResponse({ description: 'Join token of another session' })
  @ApiNotFoundResponse({ description: 'No such session' })
  timeline(@Param() params: SessionParamsDto, @Query() query: TimelineQueryDto, @JoinToken() token: string | undefined): Promise<TimelinePage> {
    return this.events.timeline(params.id, token, query);
  }
}
